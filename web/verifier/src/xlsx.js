// Reading the first sheet of a published workbook (results.xlsx) as rows of text, as
// src/rfb_policy/publish/results.py reads it with openpyxl: a cell's text, a number as Python
// prints it (2000), an empty cell as ''; rows from 1 to the last, padded to the widest.
//
// An XLSX file is a ZIP archive of XML parts: the ZIP's central directory names each part, a
// part is stored or compressed with DEFLATE (RFC 1951), which `inflate` decodes, synchronously,
// so that the same code runs in the browser and in Node's tests without a library.

const UTF8 = new TextDecoder('utf-8', { fatal: true });

class XlsxError extends Error {}

// -- DEFLATE (RFC 1951) -----------------------------------------------------------------------

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A canonical Huffman code from code lengths: counts per length and symbols in code order. */
function huffman(lengths) {
  const counts = new Uint16Array(16);
  for (const length of lengths) counts[length] += 1;
  counts[0] = 0;
  const offsets = new Uint16Array(16);
  for (let i = 1; i < 16; i += 1) offsets[i] = offsets[i - 1] + counts[i - 1];
  const symbols = new Uint16Array(lengths.length);
  lengths.forEach((length, symbol) => {
    if (length) symbols[offsets[length]++] = symbol;
  });
  return { counts, symbols };
}

/** Decode raw DEFLATE data. */
export function inflate(data) {
  const out = [];
  let pos = 0;
  let bit = 0;
  const need = () => {
    if (pos >= data.length) throw new XlsxError('the compressed data ends too early');
  };
  const bits = (n) => {
    let value = 0;
    for (let i = 0; i < n; i += 1) {
      need();
      value |= ((data[pos] >> bit) & 1) << i;
      bit += 1;
      if (bit === 8) {
        bit = 0;
        pos += 1;
      }
    }
    return value;
  };
  const decode = ({ counts, symbols }) => {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let length = 1; length < 16; length += 1) {
      code |= bits(1);
      const count = counts[length];
      if (code - first < count) return symbols[index + code - first];
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new XlsxError('a Huffman code of the compressed data is invalid');
  };
  const fixedLit = huffman([...Array(144).fill(8), ...Array(112).fill(9), ...Array(24).fill(7), ...Array(8).fill(8)]);
  const fixedDist = huffman(Array(30).fill(5));
  let last = 0;
  while (!last) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      if (bit) {
        bit = 0;
        pos += 1;
      }
      if (pos + 4 > data.length) throw new XlsxError('a stored block ends too early');
      const length = data[pos] | (data[pos + 1] << 8);
      pos += 4;
      if (pos + length > data.length) throw new XlsxError('a stored block ends too early');
      for (let i = 0; i < length; i += 1) out.push(data[pos + i]);
      pos += length;
      continue;
    }
    if (type === 3) throw new XlsxError('the compressed data has an invalid block type');
    let lit = fixedLit;
    let dist = fixedDist;
    if (type === 2) {
      const nlen = bits(5) + 257;
      const ndist = bits(5) + 1;
      const ncode = bits(4) + 4;
      const codeLengths = new Array(19).fill(0);
      for (let i = 0; i < ncode; i += 1) codeLengths[CODE_ORDER[i]] = bits(3);
      const code = huffman(codeLengths);
      const lengths = [];
      while (lengths.length < nlen + ndist) {
        const symbol = decode(code);
        if (symbol < 16) lengths.push(symbol);
        else if (symbol === 16) {
          if (!lengths.length) throw new XlsxError('a repeat with nothing before it');
          const previous = lengths[lengths.length - 1];
          for (let n = 3 + bits(2); n > 0; n -= 1) lengths.push(previous);
        } else {
          for (let n = symbol === 17 ? 3 + bits(3) : 11 + bits(7); n > 0; n -= 1) lengths.push(0);
        }
      }
      lit = huffman(lengths.slice(0, nlen));
      dist = huffman(lengths.slice(nlen, nlen + ndist));
    }
    for (;;) {
      const symbol = decode(lit);
      if (symbol < 256) out.push(symbol);
      else if (symbol === 256) break;
      else {
        const at = symbol - 257;
        if (at >= LENGTH_BASE.length) throw new XlsxError('an invalid length code');
        const length = LENGTH_BASE[at] + bits(LENGTH_EXTRA[at]);
        const d = decode(dist);
        if (d >= DIST_BASE.length) throw new XlsxError('an invalid distance code');
        const distance = DIST_BASE[d] + bits(DIST_EXTRA[d]);
        if (distance > out.length) throw new XlsxError('a distance past the start of the data');
        for (let i = 0; i < length; i += 1) out.push(out[out.length - distance]);
      }
    }
  }
  return Uint8Array.from(out);
}

// -- ZIP ----------------------------------------------------------------------------------------

/** The parts of a ZIP archive: name → bytes, decompressed. */
export function unzip(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65557); i -= 1) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new XlsxError('not a ZIP archive (no end of central directory)');
  const entries = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const parts = new Map();
  for (let n = 0; n < entries; n += 1) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) {
      throw new XlsxError('the ZIP central directory is malformed');
    }
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = UTF8.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) {
      throw new XlsxError(`the ZIP entry ${name} is malformed`);
    }
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const raw = bytes.subarray(start, start + size);
    if (method === 0) parts.set(name, raw);
    else if (method === 8) parts.set(name, inflate(raw));
    else throw new XlsxError(`the ZIP entry ${name} uses compression method ${method}`);
    at += 46 + skip;
  }
  return parts;
}

// -- the sheet ----------------------------------------------------------------------------------

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(text) {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name) => {
    if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });
}

/** The text of a string item: every <t> of it (rich text runs joined), phonetic runs left out. */
function itemText(xml) {
  const plain = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  return [...plain.matchAll(/<t\b[^>]*?(?:\/>|>([\s\S]*?)<\/t>)/g)].map((m) => unescape(m[1] ?? '')).join('');
}

function part(parts, name) {
  const found = parts.get(name);
  if (found === undefined) throw new XlsxError(`the workbook has no ${name}`);
  return UTF8.decode(found);
}

function attribute(tagText, name) {
  const found = new RegExp(`\\s${name}="([^"]*)"`).exec(tagText);
  return found ? unescape(found[1]) : null;
}

function columnIndex(reference) {
  const letters = /^([A-Z]+)/.exec(reference)?.[1] ?? '';
  let index = 0;
  for (const letter of letters) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

function cellText(type, inner, shared) {
  if (type === 'inlineStr') return itemText(/<is>([\s\S]*?)<\/is>/.exec(inner)?.[1] ?? '');
  const value = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
  if (value === undefined) return '';
  const text = unescape(value);
  if (type === 's') {
    const item = shared[Number(text)];
    if (item === undefined) throw new XlsxError(`a cell names the shared string ${text}, which is not there`);
    return item;
  }
  if (type === 'str') return text;
  if (type === 'b') return text === '1' ? 'True' : 'False';
  return /^-?\d+$/.test(text) ? String(Number(text)) : text; // a number: 2000, as Python prints it
}

/** The first sheet of a workbook, as rows of cell texts (from row 1, padded to the widest). */
export function sheetRows(bytes) {
  const parts = unzip(bytes);
  const book = part(parts, 'xl/workbook.xml');
  const first = /<sheet\b[^>]*>/.exec(book);
  if (!first) throw new XlsxError('the workbook has no sheet');
  const id = attribute(first[0], 'r:id');
  const rels = part(parts, 'xl/_rels/workbook.xml.rels');
  const rel = [...rels.matchAll(/<Relationship\b[^>]*>/g)].find((m) => attribute(m[0], 'Id') === id);
  const target = rel ? attribute(rel[0], 'Target') : null;
  if (!target) throw new XlsxError('the first sheet has no part');
  const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  const shared = parts.has('xl/sharedStrings.xml')
    ? [...part(parts, 'xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)].map((m) => itemText(m[1] ?? ''))
    : [];
  const sheet = part(parts, path);
  const rows = new Map();
  let width = 0;
  let height = 0;
  for (const row of sheet.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const number = Number(attribute(row[0], 'r') ?? rows.size + 1);
    const cells = [];
    let next = 0;
    for (const cell of (row[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const reference = attribute(cell[0], 'r');
      const at = reference ? columnIndex(reference) : next;
      cells[at] = cellText(attribute(cell[0], 't'), cell[2] ?? '', shared);
      next = at + 1;
    }
    rows.set(number, cells);
    width = Math.max(width, cells.length);
    height = Math.max(height, number);
  }
  const table = [];
  for (let number = 1; number <= height; number += 1) {
    const cells = rows.get(number) ?? [];
    table.push(Array.from({ length: width }, (_, i) => cells[i] ?? ''));
  }
  return table;
}
