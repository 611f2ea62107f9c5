// CommonJS because package.json declares "type": "module" and electron-builder loads its config
// with require().

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'com.causerie.app',
  productName: 'Causerie',
  directories: { output: 'release', buildResources: 'build' },
  // Production dependencies from node_modules are always added by electron-builder. No source
  // map ships (ours or a dependency's): they hold the whole source and serve no installed user;
  // `npm run dist` does not write ours either, this catches any other.
  files: ['dist/**/*', 'package.json', '!**/*.map'],
  // The main bundle is ESM at dist/main/index.js; this keeps the packaged entry right whatever
  // the development "main" field says.
  extraMetadata: { main: 'dist/main/index.js' },
  asar: true,
  // Native addons cannot be loaded from inside an asar archive.
  asarUnpack: [
    '**/node_modules/better-sqlite3/**',
    '**/node_modules/node-llama-cpp/**',
    '**/node_modules/@node-llama-cpp/**',
  ],
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // The renderer is served from app://, never file://.
    grantFileProtocolExtraPrivileges: false,
  },
  linux: {
    target: [
      { target: 'AppImage', arch: ['x64', 'arm64'] },
      { target: 'deb', arch: ['x64', 'arm64'] },
    ],
    category: 'Chat',
    // deb refuses to build without a maintainer; package.json has no author e-mail.
    maintainer: 'Causerie maintainers <maintainers@causerie.invalid>',
  },
  mac: {
    target: [{ target: 'dmg', arch: ['x64', 'arm64'] }],
    category: 'public.app-category.social-networking',
    hardenedRuntime: true,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
  },
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
  },
};
