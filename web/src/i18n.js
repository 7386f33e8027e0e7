// Every label of the page in English and Turkish. The language comes from localStorage (the
// switch on the page), else navigator.language (tr* -> Turkish), else English.

const en = {
  tagline: 'look inside transformer models',
  model: 'Model',
  architecture: 'architecture',
  step: 'step',
  vocabSize: 'vocabulary',
  context: 'context',
  embeddingSize: 'embedding size',
  layers: 'layers',
  heads: 'heads',
  inputText: 'Text',
  sourceText: 'Source text',
  targetText: 'Target',
  targetPlaceholder: "empty: the model's own translation",
  apply: 'Apply',
  typeText: 'Type a text above to look at it.',
  exportNote: 'Exported page: the text is fixed to the one it was exported with.',
  noModels: 'The server lists no models.',
  waitingForCheckpoint: 'Waiting for the first checkpoint: only the training view is available until the run writes its weights.',
  loading: 'Loading…',
  saveSvg: 'Save SVG',
  savePng: 'Save PNG',
  view_attention: 'Attention',
  view_translate: 'Translation',
  view_trace: 'Trace',
  view_embeddings: 'Embeddings',
  view_next: 'Next token',
  view_training: 'Training',
  view_bigram: 'Bigram table',
  view_fill: 'Fill the blank',
  fillHint: 'Write [MASK] in the text above where a token is missing: "Transformers [MASK] surprising emerging features."',
  fillExplain: 'The model reads the whole text in both directions and guesses each hidden token: the bars are its probabilities.',
  fillMask: '[MASK] {n} (token {position})',
  fillFilled: 'Filled with the best guesses',
  bigramTable: 'P(next | current)',
  bigramExplain: 'A bigram model predicts the next token from the current one alone: it keeps one row of numbers per token, and each row here is the softmax of the table row of the current token, the probability of every next token.',
  bigramAxes: 'Rows: the current token. Columns: the next token.',
  bigramWhole: 'The whole vocabulary ({count} tokens): each row sums to 1.',
  bigramOfText: 'The {count} tokens of the text, each once, in order (of a vocabulary of {vocab}); a row sums to less than 1 over these columns alone.',
  currentToken: 'current',
  nextTokenAxis: 'next',
  noAttention: 'This model has no attention.',
  attentionKind: 'Attention',
  kind_self: 'self-attention',
  kind_encoder: 'encoder',
  kind_decoder: 'decoder',
  kind_cross: 'cross (target → source)',
  layer: 'Layer',
  head: 'Head',
  layerShort: 'L',
  headShort: 'H',
  trainingStep: 'Training step',
  headView: 'Head view',
  table: 'Weights',
  modelView: 'Model view',
  modelViewHint: 'Every layer × head; click one to open it.',
  queries: 'queries',
  keys: 'keys',
  query: 'query',
  key: 'key',
  row: 'row',
  column: 'column',
  hoverCell: 'Hover a cell to read its value.',
  targetIsOwnTranslation: 'Target: “{target}” (the model’s own translation).',
  translation: 'Translation',
  beamSize: 'Beam size',
  lengthPenalty: 'Length penalty',
  translateButton: 'Translate',
  translateHint: 'Translates the source text above, then shows the cross-attention of the translation.',
  steps: 'Steps',
  pickStep: 'Click a step to see its numbers.',
  tokens: 'Tokens',
  targetTokens: 'Target tokens',
  topNext: 'Most likely next tokens',
  showAll: 'Show all {rows} × {cols}',
  showLess: 'Show less',
  cutNote: 'Showing the first {rows} rows and {cols} columns.',
  embeddings: 'Token embeddings',
  dimensions: 'Dimensions',
  beforeAfter: 'Arrows from step 0',
  pcaExact: 'Exact coordinates (the embedding has no more dimensions than shown).',
  pcaExplained: 'PCA; variance explained: {parts}.',
  comparedSteps: 'Arrows go from step {before} to step {now}.',
  noBefore: 'No step-0 checkpoint to compare with.',
  rotateHint: 'Drag to rotate, wheel to zoom.',
  hoverPoint: 'Hover a point to see its token.',
  token: 'token',
  nextToken: 'Next token',
  temperature: 'Temperature',
  topK: 'Top-k (0 = off)',
  topP: 'Top-p (1 = off)',
  afterTokens: 'After {count} input tokens.',
  afterTarget: 'After the {count} tokens of the target so far.',
  droppedTokens: '{count} tokens were cut from the front to fit the context.',
  generate: 'Generate',
  generateButton: 'Generate',
  generateHint: 'Continues the text with the temperature, top-k and top-p above.',
  generateDone: 'Done.',
  tokensToGenerate: 'Tokens',
  seed: 'Seed',
  disabledInExport: 'Not available in an exported page (there is no server behind it).',
  lossCurves: 'Loss',
  trainLoss: 'train loss',
  valLoss: 'validation loss',
  learningRate: 'learning rate',
  loss: 'loss',
  lastStep: 'Step {step}: train loss {loss}',
  tokensPerSecond: '{value} tokens/s',
  noRows: 'No metrics yet.',
  noMetricsYet: 'This model has no metrics.jsonl (yet).',
  latestSamples: 'Latest samples',
  liveHint: 'Live: new points appear as the run writes them.',
  liveDisabledInExport: 'Exported page: the curves are as they were at export time.',
};

const tr = {
  tagline: 'transformer modellerinin içine bakın',
  model: 'Model',
  architecture: 'mimari',
  step: 'adım',
  vocabSize: 'sözcük dağarcığı',
  context: 'bağlam',
  embeddingSize: 'gömme boyutu',
  layers: 'katman',
  heads: 'dikkat başı',
  inputText: 'Metin',
  sourceText: 'Kaynak metin',
  targetText: 'Hedef',
  targetPlaceholder: 'boş: modelin kendi çevirisi',
  apply: 'Uygula',
  typeText: 'İncelemek için yukarıya bir metin yazın.',
  exportNote: 'Dışa aktarılmış sayfa: metin, dışa aktarıldığı metinle sabittir.',
  noModels: 'Sunucu hiç model listelemiyor.',
  waitingForCheckpoint: 'İlk kontrol noktası bekleniyor: eğitim ağırlıklarını yazana kadar yalnızca eğitim görünümü açık.',
  loading: 'Yükleniyor…',
  saveSvg: 'SVG kaydet',
  savePng: 'PNG kaydet',
  view_attention: 'Dikkat',
  view_translate: 'Çeviri',
  view_trace: 'Adım adım',
  view_embeddings: 'Gömmeler',
  view_next: 'Sonraki belirteç',
  view_training: 'Eğitim',
  view_bigram: 'Bigram tablosu',
  view_fill: 'Boşluğu doldur',
  fillHint: 'Yukarıdaki metinde eksik belirtecin yerine [MASK] yazın: "Transformers [MASK] surprising emerging features."',
  fillExplain: 'Model metnin tamamını iki yönde okur ve gizli her belirteci tahmin eder: çubuklar olasılıklarıdır.',
  fillMask: '[MASK] {n} ({position}. belirteç)',
  fillFilled: 'En iyi tahminlerle doldurulmuş',
  bigramTable: 'P(sonraki | şimdiki)',
  bigramExplain: 'Bir bigram modeli sonraki belirteci yalnızca şimdikinden tahmin eder: her belirteç için bir satır sayı tutar; buradaki her satır, şimdiki belirtecin tablo satırının softmax’ıdır, yani her sonraki belirtecin olasılığı.',
  bigramAxes: 'Satırlar: şimdiki belirteç. Sütunlar: sonraki belirteç.',
  bigramWhole: 'Tüm sözcük dağarcığı ({count} belirteç): her satırın toplamı 1’dir.',
  bigramOfText: 'Metnin {count} belirteci, her biri bir kez, sırayla ({vocab} belirteçlik bir dağarcıktan); bir satırın yalnızca bu sütunlardaki toplamı 1’den azdır.',
  currentToken: 'şimdiki',
  nextTokenAxis: 'sonraki',
  noAttention: 'Bu modelde dikkat yok.',
  attentionKind: 'Dikkat',
  kind_self: 'öz-dikkat',
  kind_encoder: 'kodlayıcı',
  kind_decoder: 'kod çözücü',
  kind_cross: 'çapraz (hedef → kaynak)',
  layer: 'Katman',
  head: 'Dikkat başı',
  layerShort: 'K',
  headShort: 'B',
  trainingStep: 'Eğitim adımı',
  headView: 'Dikkat başı görünümü',
  table: 'Ağırlıklar',
  modelView: 'Model görünümü',
  modelViewHint: 'Her katman × dikkat başı; açmak için birine tıklayın.',
  queries: 'sorgular',
  keys: 'anahtarlar',
  query: 'sorgu',
  key: 'anahtar',
  row: 'satır',
  column: 'sütun',
  hoverCell: 'Değerini okumak için imleci bir hücrenin üzerine getirin.',
  targetIsOwnTranslation: 'Hedef: “{target}” (modelin kendi çevirisi).',
  translation: 'Çeviri',
  beamSize: 'Işın genişliği',
  lengthPenalty: 'Uzunluk cezası',
  translateButton: 'Çevir',
  translateHint: 'Yukarıdaki kaynak metni çevirir, ardından çevirinin çapraz dikkatini gösterir.',
  steps: 'Adımlar',
  pickStep: 'Sayılarını görmek için bir adıma tıklayın.',
  tokens: 'Belirteçler',
  targetTokens: 'Hedef belirteçleri',
  topNext: 'En olası sonraki belirteçler',
  showAll: 'Tümünü göster ({rows} × {cols})',
  showLess: 'Daha az göster',
  cutNote: 'İlk {rows} satır ve {cols} sütun gösteriliyor.',
  embeddings: 'Belirteç gömmeleri',
  dimensions: 'Boyut',
  beforeAfter: '0. adımdan oklar',
  pcaExact: 'Kesin koordinatlar (gömmenin gösterilenden fazla boyutu yok).',
  pcaExplained: 'PCA; açıklanan varyans: {parts}.',
  comparedSteps: 'Oklar {before}. adımdan {now}. adıma gider.',
  noBefore: 'Karşılaştırılacak 0. adım kontrol noktası yok.',
  rotateHint: 'Döndürmek için sürükleyin, yakınlaştırmak için tekerleği kullanın.',
  hoverPoint: 'Belirtecini görmek için imleci bir noktanın üzerine getirin.',
  token: 'belirteç',
  nextToken: 'Sonraki belirteç',
  temperature: 'Sıcaklık',
  topK: 'Top-k (0 = kapalı)',
  topP: 'Top-p (1 = kapalı)',
  afterTokens: '{count} girdi belirtecinden sonra.',
  afterTarget: 'Hedefin şimdiye kadarki {count} belirtecinden sonra.',
  droppedTokens: 'Bağlama sığması için baştan {count} belirteç atıldı.',
  generate: 'Üret',
  generateButton: 'Üret',
  generateHint: 'Metni yukarıdaki sıcaklık, top-k ve top-p ile sürdürür.',
  generateDone: 'Bitti.',
  tokensToGenerate: 'Belirteç sayısı',
  seed: 'Tohum',
  disabledInExport: 'Dışa aktarılmış sayfada kullanılamaz (arkasında sunucu yok).',
  lossCurves: 'Kayıp',
  trainLoss: 'eğitim kaybı',
  valLoss: 'doğrulama kaybı',
  learningRate: 'öğrenme oranı',
  loss: 'kayıp',
  lastStep: '{step}. adım: eğitim kaybı {loss}',
  tokensPerSecond: 'saniyede {value} belirteç',
  noRows: 'Henüz ölçüm yok.',
  noMetricsYet: 'Bu modelin (henüz) metrics.jsonl dosyası yok.',
  latestSamples: 'Son örnekler',
  liveHint: 'Canlı: eğitim yazdıkça yeni noktalar eklenir.',
  liveDisabledInExport: 'Dışa aktarılmış sayfa: eğriler dışa aktarıldıkları andaki gibidir.',
};

export const DICTIONARIES = { en, tr };
export const LANGUAGES = Object.keys(DICTIONARIES);
const STORAGE_KEY = 'dikkat.language';

function storedLanguage() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // file:// pages and strict settings may refuse storage
  }
}

function browserLanguage() {
  const wanted = typeof navigator !== 'undefined' ? navigator.language || '' : '';
  return wanted.toLowerCase().startsWith('tr') ? 'tr' : 'en';
}

let current = LANGUAGES.includes(storedLanguage()) ? storedLanguage() : browserLanguage();

export function language() {
  return current;
}

export function setLanguage(name) {
  if (!LANGUAGES.includes(name)) return;
  current = name;
  try {
    localStorage.setItem(STORAGE_KEY, name);
  } catch {
    // Not remembered, still switched.
  }
}

const LOCALES = { en: 'en-US', tr: 'tr-TR' };

/** A probability as a percentage the way the language writes it ("19.62%", "%19,62"). */
export function percent(p, digits = 2) {
  return new Intl.NumberFormat(LOCALES[current], { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(p);
}

/** A whole number with the language's digit grouping. */
export function count(n) {
  return new Intl.NumberFormat(LOCALES[current], { maximumFractionDigits: 0 }).format(n);
}

/** The label for `key` in the current language, with {name} placeholders filled from vars. */
export function t(key, vars = {}) {
  const template = DICTIONARIES[current][key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}
