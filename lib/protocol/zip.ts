/**
 * A minimal zip container reader and writer for KIS's stock master archives (one `.mst` member
 * per `.zip`, docs/protocol/master-files.md). Pure: Buffers in, Buffers out; the only codec is
 * zlib's raw DEFLATE, which Node ships. Reads stored (0) and deflated (8) members, finds them
 * through the central directory (the local headers may carry zero sizes when a data descriptor
 * follows), and checks each member's CRC-32. No zip64, no encryption: KIS's archives need neither,
 * and an archive that does is refused with a clear error instead of being misread.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
}

const EOCD_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
/** The end-of-central-directory record is 22 bytes plus a comment of at most 65,535. */
const EOCD_MAX_SCAN = 22 + 0xffff;
/** Refuse to inflate a member beyond this (a master file is about 0.5 MB). */
const MAX_MEMBER_BYTES = 64 * 1024 * 1024;

function fail(reason: string): never {
  throw new Error(`zip: ${reason}`);
}

function findEocd(buf: Buffer): number {
  const stop = Math.max(0, buf.length - EOCD_MAX_SCAN);
  for (let i = buf.length - 22; i >= stop; i--) if (buf.readUInt32LE(i) === EOCD_SIG) return i;
  return fail('not a zip archive (no end-of-central-directory record)');
}

/** Every file member of a zip archive, in central-directory order. */
export function readZip(buf: Buffer): ZipEntry[] {
  if (buf.length < 22) fail('not a zip archive (too short)');
  const eocd = findEocd(buf);
  const count = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) fail('zip64 archives are not supported');
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL_SIG) fail('corrupt central directory');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString((flags & 0x800) !== 0 ? 'utf8' : 'latin1');
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue; // a directory
    if ((flags & 1) !== 0) fail(`${name}: encrypted members are not supported`);
    if (size > MAX_MEMBER_BYTES) fail(`${name}: member too large (${size} bytes)`);
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL_SIG) fail(`${name}: corrupt local header`);
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    if (start + compressed > buf.length) fail(`${name}: truncated`);
    const raw = buf.subarray(start, start + compressed);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: MAX_MEMBER_BYTES });
      } catch (err) {
        return fail(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    else return fail(`${name}: compression method ${method} is not supported`);
    if (data.length !== size) fail(`${name}: size mismatch (${data.length} ≠ ${size})`);
    if (crc32(data) >>> 0 !== crc >>> 0) fail(`${name}: CRC mismatch`);
    entries.push({ name, data });
  }
  return entries;
}

/** A DOS date/time for the member headers (the value does not matter to any reader we use). */
const DOS_TIME = 0;
const DOS_DATE = (2024 - 1980) << 9 | 1 << 5 | 1;

/** A zip archive of deflated members, as the simulator serves KIS's master files. */
export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const body = deflateRawSync(entry.data);
    const crc = crc32(entry.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIG, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_SIG, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(EOCD_SIG, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}
