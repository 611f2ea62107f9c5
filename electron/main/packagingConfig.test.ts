import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Lives here rather than in build/ because vitest only collects electron/**/*.test.ts.
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

interface TargetConfig {
  target: string;
  arch: string[];
}
interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  extraMetadata: { main: string };
  asar: boolean;
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  linux: { target: TargetConfig[]; category: string };
  mac: {
    target: TargetConfig[];
    hardenedRuntime: boolean;
    entitlements: string;
    entitlementsInherit: string;
  };
  win: { target: TargetConfig[] };
}

const config = require(path.join(ROOT, 'build', 'electron-builder.config.cjs')) as BuilderConfig;

describe('electron-builder configuration', () => {
  it('names the app and ships only the build output and package.json', () => {
    expect(config.appId).toBe('com.causerie.app');
    expect(config.productName).toBe('Causerie');
    expect(config.directories).toEqual({ output: 'release', buildResources: 'build' });
    expect(config.files).toEqual(['dist/**/*', 'package.json', '!**/*.map']);
    expect(config.extraMetadata.main).toBe('dist/main/index.js');
  });

  it('ships no source map: the packaging build writes none and the file list drops any other', () => {
    // electron-builder matches `files` with minimatch; path.matchesGlob speaks the same globs.
    const excluded = config.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    for (const file of [
      'dist/renderer/assets/index-Bx12.js.map',
      'dist/main/index.js.map',
      'dist/preload/index.cjs.map',
      'node_modules/zod/index.js.map',
    ]) {
      expect(
        excluded.some((pattern) => path.matchesGlob(file, pattern)),
        file,
      ).toBe(true);
    }
    const scripts = (
      JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.dist).toMatch(/^node scripts\/build\.ts --no-sourcemaps && electron-builder /);
    const build = readFileSync(path.join(ROOT, 'scripts', 'build.ts'), 'utf8');
    expect(build).toContain("const sourcemap = !process.argv.includes('--no-sourcemaps');");
    expect(build).not.toMatch(/sourcemap:\s*true/);
  });

  it('packs into asar but keeps native modules outside it', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        '**/node_modules/better-sqlite3/**',
        '**/node_modules/node-llama-cpp/**',
        '**/node_modules/@node-llama-cpp/**',
      ]),
    );
  });

  it('flips the fuses that close Node-level back doors', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds AppImage and deb for Linux, dmg for macOS and nsis for Windows', () => {
    expect(config.linux.target).toEqual([
      { target: 'AppImage', arch: ['x64', 'arm64'] },
      { target: 'deb', arch: ['x64', 'arm64'] },
    ]);
    expect(config.linux.category).toBe('Chat');
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
  });

  it('signs macOS builds with the hardened runtime and a minimal entitlements file', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.entitlements).toBe('build/entitlements.mac.plist');
    expect(config.mac.entitlementsInherit).toBe('build/entitlements.mac.plist');
    const plist = readFileSync(path.join(ROOT, config.mac.entitlements), 'utf8');
    const keys = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((match) => match[1]);
    expect(keys).toEqual(['com.apple.security.cs.allow-jit']);
  });

  it('has an icon electron-builder can find in buildResources', () => {
    const icon = readFileSync(path.join(ROOT, 'build', 'icon.png'));
    expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(icon.readUInt32BE(16)).toBe(512);
    expect(icon.readUInt32BE(20)).toBe(512);
  });

  it('leaves no source file of the shell importing Electron where a pure module is expected', () => {
    const pure = [
      'electron/main/windowOptions.ts',
      'electron/main/applicationMenu.ts',
      'electron/main/externalLinks.ts',
      'electron/main/workerEnvironment.ts',
      'electron/main/navigation.ts',
      'electron/main/ipcSender.ts',
      'electron/main/appProtocol.ts',
      'electron/main/clientRegistry.ts',
      'electron/main/safeStorageKeyVault.ts',
      'electron/preload/bridge.ts',
    ];
    for (const file of pure) {
      const source = readFileSync(path.join(ROOT, file), 'utf8');
      expect(existsSync(path.join(ROOT, file))).toBe(true);
      expect(source, file).not.toMatch(/^import\s+(?!type\b)[^;]*from\s+'electron'/m);
      expect(source, file).not.toMatch(/require\(\s*'electron'\s*\)/);
    }
  });
});
