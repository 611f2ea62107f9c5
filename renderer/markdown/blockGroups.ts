/**
 * How a message's finished blocks are grouped for rendering. A streaming commit then costs one
 * comparison per group rather than per block, and the browser skips style, layout and paint of
 * groups out of view (`content-visibility: auto` on each group).
 */

/** Finished blocks per group. */
export const GROUP_BLOCKS = 32;

/**
 * In a message at least this long, a group is parsed only once it comes near the view (until
 * then its text is shown as written): parsing markdown costs ~1–2 µs a character, so 10 MB would
 * take 10–20 s of the page's time for text nobody has scrolled to.
 */
export const LAZY_MESSAGE_CHARS = 256_000;

/** The groups holding at least the last this many characters are always parsed at once. */
export const EAGER_TAIL_CHARS = 16_000;

/** One group: blocks `start` to `end` (exclusive) of the finished blocks. */
export interface BlockGroupPlan {
  start: number;
  end: number;
  /** Parse it now, wherever it is; otherwise wait until it comes near the view. */
  eager: boolean;
}

/** The groups of `finished`, in order; `totalChars` is the length of the whole message. */
export function planGroups(finished: readonly string[], totalChars: number): BlockGroupPlan[] {
  const plans: BlockGroupPlan[] = [];
  for (let start = 0; start < finished.length; start += GROUP_BLOCKS) {
    plans.push({ start, end: Math.min(start + GROUP_BLOCKS, finished.length), eager: true });
  }
  if (totalChars < LAZY_MESSAGE_CHARS) return plans;
  // Only the last groups, where a reply streams and where a thread opens, are parsed eagerly.
  let chars = 0;
  for (let index = plans.length - 1; index >= 0; index--) {
    const plan = plans[index]!;
    plan.eager = chars < EAGER_TAIL_CHARS;
    if (!plan.eager) continue;
    for (let block = plan.start; block < plan.end; block++) chars += finished[block]!.length;
  }
  return plans;
}
