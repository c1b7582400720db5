/**
 * PostgreSQL's binary COPY format, written straight into byte buffers: no number-to-text
 * formatting in JavaScript and no text parsing in the database, which makes bulk loads several
 * times cheaper than the text format for numeric data. Layout: a 19-byte header, then per row an
 * int16 field count and per field an int32 length (-1 = NULL) and the value in network byte order;
 * an int16 -1 ends the data.
 */

export type BinaryColumnType = 'text' | 'float8' | 'int2' | 'int4' | 'bool' | 'timestamptz' | 'text[]';

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01T00:00Z). */
const PG_EPOCH_MS = 946_684_800_000;
const TEXT_OID = 25;

export class BinaryCopyBuffer {
  #buffer: Buffer;
  #view: DataView;
  #offset = 0;
  readonly #encoded = new Map<string, Buffer>();

  constructor(initialBytes = 1 << 20) {
    this.#buffer = Buffer.allocUnsafe(initialBytes);
    this.#view = new DataView(this.#buffer.buffer, this.#buffer.byteOffset, this.#buffer.byteLength);
    this.#bytes(SIGNATURE);
    this.#int32(0); // flags
    this.#int32(0); // header extension length
  }

  get size(): number {
    return this.#offset;
  }

  #ensure(bytes: number): void {
    if (this.#offset + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#offset + bytes));
    this.#buffer.copy(grown, 0, 0, this.#offset);
    this.#buffer = grown;
    this.#view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }

  #bytes(values: ArrayLike<number>): void {
    this.#ensure(values.length);
    for (let i = 0; i < values.length; i++) this.#buffer[this.#offset++] = values[i]!;
  }

  #int16(value: number): void {
    this.#ensure(2);
    this.#view.setInt16(this.#offset, value);
    this.#offset += 2;
  }

  #int32(value: number): void {
    this.#ensure(4);
    this.#view.setInt32(this.#offset, value);
    this.#offset += 4;
  }

  #utf8(text: string): Buffer {
    let bytes = this.#encoded.get(text);
    if (bytes === undefined) {
      bytes = Buffer.from(text, 'utf8');
      if (this.#encoded.size < 10_000) this.#encoded.set(text, bytes);
    }
    return bytes;
  }

  /** Starts a row of `fields` values. */
  row(fields: number): this {
    this.#int16(fields);
    return this;
  }

  null(): this {
    this.#int32(-1);
    return this;
  }

  text(value: string | null | undefined): this {
    if (value == null) return this.null();
    const bytes = this.#utf8(value);
    this.#int32(bytes.length);
    this.#ensure(bytes.length);
    bytes.copy(this.#buffer, this.#offset);
    this.#offset += bytes.length;
    return this;
  }

  /** NaN, ±Infinity and null are written as NULL. */
  float8(value: number | null | undefined): this {
    if (value == null || !Number.isFinite(value)) return this.null();
    this.#int32(8);
    this.#ensure(8);
    this.#view.setFloat64(this.#offset, value);
    this.#offset += 8;
    return this;
  }

  int2(value: number | null | undefined): this {
    if (value == null) return this.null();
    this.#int32(2);
    this.#int16(value);
    return this;
  }

  int4(value: number | null | undefined): this {
    if (value == null) return this.null();
    this.#int32(4);
    this.#int32(value);
    return this;
  }

  bool(value: boolean | null | undefined): this {
    if (value == null) return this.null();
    this.#int32(1);
    this.#ensure(1);
    this.#buffer[this.#offset++] = value ? 1 : 0;
    return this;
  }

  /** A UTC instant given as epoch milliseconds. */
  timestamptz(epochMs: number | null | undefined): this {
    if (epochMs == null || !Number.isFinite(epochMs)) return this.null();
    this.#int32(8);
    this.#ensure(8);
    this.#view.setBigInt64(this.#offset, BigInt(Math.round((epochMs - PG_EPOCH_MS) * 1000)));
    this.#offset += 8;
    return this;
  }

  /** A one-dimensional text[] without NULL elements. */
  textArray(values: readonly string[] | null | undefined): this {
    if (values == null) return this.null();
    const items = values.map((v) => this.#utf8(v));
    const length = values.length === 0 ? 12 : 20 + items.reduce((n, b) => n + 4 + b.length, 0);
    this.#int32(length);
    this.#int32(values.length === 0 ? 0 : 1); // dimensions
    this.#int32(0); // has nulls
    this.#int32(TEXT_OID);
    if (values.length > 0) {
      this.#int32(values.length);
      this.#int32(1); // lower bound
    }
    for (const bytes of items) {
      this.#int32(bytes.length);
      this.#ensure(bytes.length);
      bytes.copy(this.#buffer, this.#offset);
      this.#offset += bytes.length;
    }
    return this;
  }

  /** The bytes so far (without the trailer), leaving the buffer empty for more rows. */
  take(): Uint8Array {
    const out = Uint8Array.prototype.slice.call(this.#buffer, 0, this.#offset);
    this.#offset = 0;
    return out;
  }

  /** The trailer and whatever is left. */
  finish(): Uint8Array {
    this.#int16(-1);
    return this.take();
  }
}

/** Binary COPY chunks of about `chunkBytes` each from rows written by `writeRow`. */
export function* binaryCopyChunks<T>(
  rows: Iterable<T>,
  writeRow: (buffer: BinaryCopyBuffer, row: T) => void,
  chunkBytes = 4 << 20,
): Generator<Uint8Array> {
  const buffer = new BinaryCopyBuffer(chunkBytes + (64 << 10));
  for (const row of rows) {
    writeRow(buffer, row);
    if (buffer.size >= chunkBytes) yield buffer.take();
  }
  yield buffer.finish();
}

/**
 * Reads the rows of a binary COPY (from `COPY ... TO ... WITH (FORMAT binary)`): calls `onRow`
 * with a reader positioned at the row's first field. Fields must be read in order.
 */
export class BinaryCopyReader {
  #view: DataView;
  #bytes: Uint8Array;
  #offset = 0;
  readonly #decoder = new TextDecoder();
  readonly #texts = new Map<string, string>();

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < SIGNATURE.length; i++) {
      if (bytes[i] !== SIGNATURE[i]) throw new Error('not a PostgreSQL binary COPY stream');
    }
    const extension = this.#view.getInt32(SIGNATURE.length + 4);
    this.#offset = SIGNATURE.length + 8 + extension;
  }

  /** Advances to the next row; false at the end of the data. */
  nextRow(): boolean {
    if (this.#offset + 2 > this.#bytes.length) return false;
    const fields = this.#view.getInt16(this.#offset);
    this.#offset += 2;
    return fields !== -1;
  }

  #length(): number {
    const length = this.#view.getInt32(this.#offset);
    this.#offset += 4;
    return length;
  }

  /** Text values repeat a lot (source, series, region): each distinct one is decoded once. */
  text(): string | null {
    const length = this.#length();
    if (length < 0) return null;
    const start = this.#offset;
    this.#offset += length;
    let key = '';
    for (let i = start; i < start + length && i < start + 64; i++)
      key += String.fromCharCode(this.#bytes[i]!);
    if (length <= 64) {
      const known = this.#texts.get(key);
      if (known !== undefined) return known;
    }
    const text = this.#decoder.decode(this.#bytes.subarray(start, start + length));
    if (length <= 64) this.#texts.set(key, text);
    return text;
  }

  float8(): number {
    const length = this.#length();
    if (length < 0) return Number.NaN;
    const value = this.#view.getFloat64(this.#offset);
    this.#offset += 8;
    return value;
  }

  int2(): number | null {
    const length = this.#length();
    if (length < 0) return null;
    const value = this.#view.getInt16(this.#offset);
    this.#offset += 2;
    return value;
  }

  /** Epoch milliseconds. */
  timestamptz(): number {
    const length = this.#length();
    if (length < 0) return Number.NaN;
    const micros = this.#view.getBigInt64(this.#offset);
    this.#offset += 8;
    return Number(micros / 1000n) + PG_EPOCH_MS;
  }
}
