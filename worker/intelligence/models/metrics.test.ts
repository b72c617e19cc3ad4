import { describe, expect, it } from 'vitest';
import { accuracy, auc, brier, ece, logLoss, precisionAt } from './metrics';

describe('metrics against hand-computed values', () => {
  it('AUC counts ties between a positive and a negative as one half', () => {
    // pairs (pos, neg): (0.8,0.1)=1 (0.8,0.4)=1 (0.8,0.35)=1 ; (0.4,0.1)=1 (0.4,0.4)=½ (0.4,0.35)=1 → 5.5 / 6
    expect(auc([0.1, 0.4, 0.35, 0.8, 0.4], [0, 0, 0, 1, 1])).toBeCloseTo(5.5 / 6, 12);
    expect(auc([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
    expect(auc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
    expect(auc([0.3, 0.4], [1, 1])).toBeNaN();
  });

  it('Brier and log-loss', () => {
    // (0.9−1)² + (0.2−0)² + (0.6−0)² + (0.3−1)² = 0.01 + 0.04 + 0.36 + 0.49 = 0.9 → /4
    expect(brier([0.9, 0.2, 0.6, 0.3], [1, 0, 0, 1])).toBeCloseTo(0.225, 12);
    expect(logLoss([0.9, 0.2], [1, 0])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
  });

  it('ECE over 10 equal-width bins', () => {
    // bin [0.1,0.2): p 0.15,0.15 y 0,1 → |0.15−0.5| = 0.35, weight 2/5
    // bin [0.9,1.0]: p 0.95,1.0,0.9 y 1,1,0 → mean p 0.95, mean y 2/3 → 0.28333…, weight 3/5
    const p = [0.15, 0.15, 0.95, 1.0, 0.9];
    const y = [0, 1, 1, 1, 0];
    expect(ece(p, y)).toBeCloseTo((2 / 5) * 0.35 + (3 / 5) * (0.95 - 2 / 3), 12);
  });

  it('accuracy at 0.5 (0.5 itself predicts the positive class)', () => {
    expect(accuracy([0.5, 0.49, 0.7, 0.1], [1, 1, 0, 0])).toBe(0.5);
  });

  it('precision at a threshold counts only the rows that reach it', () => {
    // flagged at 0.6: 0.6 (y1), 0.9 (y0), 0.7 (y1) → 2/3; nothing reaches 0.95
    expect(precisionAt([0.6, 0.9, 0.1, 0.7, 0.59], [1, 0, 1, 1, 1], 0.6)).toBeCloseTo(2 / 3, 12);
    expect(precisionAt([0.2, 0.3], [1, 0], 0.95)).toBeNaN();
  });
});
