import type { MethodInput, MethodOutput } from '../../../shared/contract';

type KeyStorage = MethodOutput<'settings.get'>['keyStorage'];

/**
 * What "save" sends for the Mistral key. Where the keychain only obfuscates, the one save button
 * reads "Store anyway (obfuscated only)", so pressing it is the user's acceptance and says so;
 * everywhere else no acceptance is sent, and the core refuses a weak store it did not get.
 * Removing a key never needs one.
 */
export function mistralKeyInput(
  key: string | null,
  keyStorage: KeyStorage | undefined,
): MethodInput<'settings.setMistralKey'> {
  return key !== null && keyStorage === 'plain-text-warning'
    ? { key, acceptWeakStorage: true }
    : { key };
}
