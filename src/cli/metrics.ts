// How good a model's answers are, in the data's own terms: accuracy and a confusion matrix for
// classes; mean absolute error, root mean squared error and R² for numbers.

export interface ClassificationScores {
  accuracy: number;
  correct: number;
  /** confusion[actual][predicted]: how many rows of class `actual` were predicted as `predicted`. */
  confusion: number[][];
}

export function classificationScores(actual: readonly number[], predicted: readonly number[], classes: number): ClassificationScores {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  actual.forEach((a, i) => {
    confusion[a][predicted[i]]++;
    if (a === predicted[i]) correct++;
  });
  return { accuracy: correct / actual.length, correct, confusion };
}

export interface RegressionScores {
  mae: number;
  rmse: number;
  /** 1 − SSE/SST; 1 is perfect, 0 is no better than predicting the mean; NaN when the targets are constant. */
  r2: number;
}

export function regressionScores(actual: readonly number[], predicted: readonly number[]): RegressionScores {
  const n = actual.length;
  const mean = actual.reduce((s, y) => s + y, 0) / n;
  let absolute = 0;
  let squared = 0;
  let total = 0;
  actual.forEach((y, i) => {
    const e = predicted[i] - y;
    absolute += Math.abs(e);
    squared += e * e;
    total += (y - mean) ** 2;
  });
  return { mae: absolute / n, rmse: Math.sqrt(squared / n), r2: total > 0 ? 1 - squared / total : NaN };
}
