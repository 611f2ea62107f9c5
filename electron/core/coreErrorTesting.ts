import { CoreError } from './coreError';

/** For tests: the CoreError `promise` rejects with; fails the test if it resolves or throws another. */
export async function rejectedCoreError(promise: Promise<unknown>): Promise<CoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CoreError) return error;
    throw error;
  }
  throw new Error('expected a CoreError');
}
