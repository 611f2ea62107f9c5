/**
 * Why the variable is dropped: the local-model worker needs the system's own environment (PATH,
 * HOME, the GPU drivers' CUDA_* / VULKAN_* / LD_LIBRARY_PATH, node-llama-cpp's NODE_LLAMA_CPP_*)
 * but never a credential, so an allowlist would break GPU set-ups and a denylist of secret-looking
 * names is the safer cut.
 */
const SECRET_NAME =
  /(?:^|_)(?:API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?|AUTH|COOKIE)(?:$|_)/i;

/**
 * The environment the llama.cpp utility process starts with: ours minus every variable that
 * looks like a secret (`MISTRAL_API_KEY`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`...) and every
 * `MISTRAL_*` and `CAUSERIE_*` setting, which only the main process reads. utilityProcess.fork
 * would otherwise hand it the whole of `process.env`.
 */
export function workerEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (SECRET_NAME.test(name) || /^(?:MISTRAL|CAUSERIE)_/i.test(name)) continue;
    kept[name] = value;
  }
  return kept;
}
