// Times npm tiktoken's GPT-2 encoder the way `dikkat tokenizer encode --time` times dikkat's:
// the encode call alone (text already in memory), repeated, median.
//
// usage: node tiktoken_encode.js FILE REPEAT   (tiktoken on NODE_PATH)
// prints one JSON line: {"bytes", "tokens", "median_ms", "mb_per_s"}
"use strict";
const fs = require("fs");
const { get_encoding } = require("tiktoken");

const [file, repeatArg] = process.argv.slice(2);
const repeat = Number(repeatArg || 5);
const text = fs.readFileSync(file, "utf8");
const bytes = Buffer.byteLength(text, "utf8");
const enc = get_encoding("gpt2");

let tokens = enc.encode_ordinary(text).length;  // warm-up (WASM compilation, allocations)
const ms = [];
for (let i = 0; i < repeat; i++) {
  const start = process.hrtime.bigint();
  tokens = enc.encode_ordinary(text).length;
  ms.push(Number(process.hrtime.bigint() - start) / 1e6);
}
enc.free();
ms.sort((a, b) => a - b);
const median = ms[Math.floor(ms.length / 2)];
console.log(JSON.stringify({ bytes, tokens, median_ms: median, mb_per_s: bytes / (median / 1e3) / 1e6 }));
