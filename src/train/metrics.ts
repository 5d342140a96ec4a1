/**
 * Fraction of predictions equal to the labels.
 *
 * @example
 * accuracy([1, 0, 1], [1, 1, 1]); // 0.6667
 */
export function accuracy(predicted: readonly number[], labels: readonly number[]): number {
  if (predicted.length !== labels.length) {
    throw new RangeError(`accuracy: ${predicted.length} predictions but ${labels.length} labels`);
  }
  if (labels.length === 0) return Number.NaN;
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
  return right / labels.length;
}
