/**
 * Lets Node run our TypeScript sources directly (tests, benchmark): maps an extensionless relative
 * import to the `.ts` file beside it, as the bundler does. Loaded with `node --import`; never bundled.
 */
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (relative && !/\.(?:[cm]?[jt]s|json|node)$/.test(specifier)) {
      try {
        return nextResolve(`${specifier}.ts`, context);
      } catch {
        // Not a .ts file: let Node report the original specifier.
      }
    }
    return nextResolve(specifier, context);
  },
});
