// The next-token distribution the page shows, recomputed from raw logits in the browser:
// softmax(logits / T), then top-k, then top-p (nucleus), renormalised after each cut.

/** Ids sorted by logit, highest first; equal logits keep the lower id first. */
function idsByLogit(logits) {
  const ids = Array.from(logits, (_, i) => i);
  ids.sort((a, b) => logits[b] - logits[a] || a - b);
  return ids;
}

function normalise(probs) {
  let total = 0;
  for (const p of probs) total += p;
  if (total > 0) for (let i = 0; i < probs.length; i++) probs[i] /= total;
  return probs;
}

/**
 * Probabilities (Float64Array, one per token id).
 * temperature 0 puts all the mass on the argmax (lowest id on ties);
 * topK 0 and topP 1 switch their cut off.
 */
export function distribution(logits, { temperature = 1, topK = 0, topP = 1 } = {}) {
  const n = logits.length;
  const probs = new Float64Array(n);
  if (n === 0) return probs;
  const order = idsByLogit(logits);
  if (!(temperature > 0)) {
    probs[order[0]] = 1;
    return probs;
  }
  const max = logits[order[0]];
  for (let i = 0; i < n; i++) probs[i] = Math.exp((logits[i] - max) / temperature);
  normalise(probs);
  if (topK > 0 && topK < n) {
    for (const id of order.slice(topK)) probs[id] = 0;
    normalise(probs);
  }
  if (topP < 1) {
    let cumulative = 0;
    let kept = 0;
    while (kept < n && cumulative < topP) cumulative += probs[order[kept++]];
    for (const id of order.slice(Math.max(kept, 1))) probs[id] = 0;
    normalise(probs);
  }
  return probs;
}

/** The `count` most likely ids, most likely first (ties: lower id first), skipping zero mass. */
export function topIds(probs, count) {
  const ids = Array.from(probs, (_, i) => i).filter((i) => probs[i] > 0);
  ids.sort((a, b) => probs[b] - probs[a] || a - b);
  return ids.slice(0, count);
}
