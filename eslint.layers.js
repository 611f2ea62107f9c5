// The layer tables of docs/HOUSE-STYLE ("Who may import whom"), turned into import-x
// `no-restricted-paths` zones. Each table lists layers from the top down; a folder may import its
// own layer and any layer below it, never one above. An entry is a folder or a single file. Folders on one line are siblings: they may
// import each other unless `isolated` says otherwise.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The core, top to bottom. Files at the core's root (coreError, config, logger) are a base every layer may use. */
export const coreLayers = [
  ['createCore.ts'],
  ['handlers'],
  ['chat', 'local', 'images', 'conversations'],
  ['language', 'models'],
  ['providers', 'store', 'settings', 'logging', 'ipc'],
];

/** The renderer, top to bottom. */
export const rendererLayers = [
  ['App.tsx', 'main.tsx'],
  ['features'],
  // Model output rendered safely (markdown, math, code): shared by the features that show it.
  ['markdown'],
  ['actions'],
  ['ui'],
  ['stores'],
  ['lib', 'i18n'],
];

/**
 * Zones saying that each layer may not import any layer above it.
 * @param {string} root folder of the table, e.g. './electron/core'
 * @param {string[][]} layers top-down
 * @param {string} why the message's reason
 */
function upwardZones(root, layers, why) {
  const zones = [];
  layers.forEach((layer, index) => {
    const above = layers.slice(0, index).flat();
    if (above.length === 0) return;
    for (const folder of layer) {
      zones.push({
        target: `${root}/${folder}`,
        from: above.map((upper) => `${root}/${upper}`),
        message: `${why}: ${root.slice(2)}/${folder} sits below ${above.join(', ')} and may not import them.`,
      });
    }
  });
  return zones;
}

/**
 * Features share code through ui/ or actions/, never through each other: one zone per feature
 * folder, forbidding every other feature folder.
 * @param {string} featuresRoot
 */
function isolatedFeatureZones(featuresRoot) {
  const features = readdirSync(join(import.meta.dirname, featuresRoot), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  return features.map((feature) => ({
    target: `${featuresRoot}/${feature}`,
    from: features.filter((other) => other !== feature).map((other) => `${featuresRoot}/${other}`),
    message: `Features share code through renderer/ui or renderer/actions, not through each other (${feature}).`,
  }));
}

export const layerZones = [
  ...upwardZones('./electron/core', coreLayers, 'Core layers run one way'),
  ...upwardZones('./renderer', rendererLayers, 'Renderer layers run one way'),
  ...isolatedFeatureZones('./renderer/features'),
];
