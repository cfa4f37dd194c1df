import { describe, expect, it } from 'vitest';
import { complementRow, SUPPRESSED } from '../../../../server/report/tables';

// Secondary suppression: a row of parts beside their total never hides exactly one part, since the
// total less the others would give it back.

describe('complementRow', () => {
  const X = SUPPRESSED;
  it('hides the smallest other part when exactly one part is hidden', () => {
    expect(complementRow(['w1', X, 12, 7, 9, 31], [1, 2, 3, 4], [0, 3, 12, 7, 9, 31])).toEqual(['w1', X, 12, X, 9, 31]);
  });
  it('skips parts that are zero: hiding a zero gives nothing away and protects nothing', () => {
    expect(complementRow(['w1', X, 0, 8, 6, 17], [1, 2, 3, 4], [0, 3, 0, 8, 6, 17])).toEqual(['w1', X, 0, 8, X, 17]);
  });
  it('leaves rows with no hidden part, or two already, as they are', () => {
    const none = ['w1', 5, 6, 11];
    expect(complementRow(none, [1, 2], [0, 5, 6, 11])).toBe(none);
    const two = ['w1', X, X, 9, 15];
    expect(complementRow(two, [1, 2, 3], [0, 2, 4, 9, 15])).toBe(two);
  });
  it('breaks ties by column order', () => {
    expect(complementRow(['w1', X, 6, 6, 14], [1, 2, 3], [0, 2, 6, 6, 14])).toEqual(['w1', X, X, 6, 14]);
  });
});
