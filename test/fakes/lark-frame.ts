// Lark's long-connection frame (protobuf pbbp2.Frame) written and read by hand, as the platform's side speaks it.

export interface FrameHeader {
  key: string;
  value: string;
}

export interface LarkFrame {
  SeqID: number;
  LogID: number;
  service: number;
  /** 0 = control (ping / pong), 1 = data (event / card). */
  method: number;
  headers: FrameHeader[];
  payload?: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

const tag = (field: number, wireType: number) => varint(field * 8 + wireType);
const lengthDelimited = (field: number, bytes: Uint8Array) => [
  ...tag(field, 2),
  ...varint(bytes.length),
  ...bytes,
];

export function encodeFrame(frame: LarkFrame): Uint8Array {
  const bytes: number[] = [
    ...tag(1, 0),
    ...varint(frame.SeqID),
    ...tag(2, 0),
    ...varint(frame.LogID),
    ...tag(3, 0),
    ...varint(frame.service),
    ...tag(4, 0),
    ...varint(frame.method),
  ];
  for (const header of frame.headers) {
    const inner = [
      ...lengthDelimited(1, encoder.encode(header.key)),
      ...lengthDelimited(2, encoder.encode(header.value)),
    ];
    bytes.push(...lengthDelimited(5, Uint8Array.from(inner)));
  }
  if (frame.payload) bytes.push(...lengthDelimited(8, frame.payload));
  return Uint8Array.from(bytes);
}

/** Reads the fields this fake needs; throws on bytes that are not a frame. */
export function decodeFrame(bytes: Uint8Array): LarkFrame {
  let at = 0;
  const readVarint = () => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[at++];
      if (byte === undefined) throw new Error("truncated frame");
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  };
  const readBytes = () => {
    const length = readVarint();
    if (at + length > bytes.length) throw new Error("truncated frame");
    const slice = bytes.subarray(at, at + length);
    at += length;
    return slice;
  };
  const frame: LarkFrame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  while (at < bytes.length) {
    const key = readVarint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === 0) {
      const value = readVarint();
      if (field === 1) frame.SeqID = value;
      else if (field === 2) frame.LogID = value;
      else if (field === 3) frame.service = value;
      else if (field === 4) frame.method = value;
    } else if (wireType === 2) {
      const value = readBytes();
      if (field === 5) frame.headers.push(decodeHeader(value));
      else if (field === 8) frame.payload = value;
    } else {
      throw new Error(`unexpected wire type ${wireType}`);
    }
  }
  return frame;
}

function decodeHeader(bytes: Uint8Array): FrameHeader {
  const inner = decodeFrameFields(bytes);
  return { key: inner.get(1) ?? "", value: inner.get(2) ?? "" };
}

function decodeFrameFields(bytes: Uint8Array): Map<number, string> {
  const fields = new Map<number, string>();
  let at = 0;
  while (at < bytes.length) {
    const key = bytes[at++] ?? 0;
    let length = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[at++];
      if (byte === undefined) throw new Error("truncated header");
      length += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
    }
    fields.set(Math.floor(key / 8), decoder.decode(bytes.subarray(at, at + length)));
    at += length;
  }
  return fields;
}

export const headerOf = (frame: LarkFrame, key: string): string | undefined =>
  frame.headers.find((header) => header.key === key)?.value;
