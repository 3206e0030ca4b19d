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

/** A cursor over protobuf bytes: varints and length-delimited fields. */
function reader(bytes: Uint8Array) {
  let at = 0;
  const varint = () => {
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
  return {
    more: () => at < bytes.length,
    varint,
    bytes: () => {
      const length = varint();
      if (at + length > bytes.length) throw new Error("truncated frame");
      const slice = bytes.subarray(at, at + length);
      at += length;
      return slice;
    },
  };
}

function decodeHeader(bytes: Uint8Array): FrameHeader {
  const read = reader(bytes);
  const header: FrameHeader = { key: "", value: "" };
  while (read.more()) {
    const field = Math.floor(read.varint() / 8);
    const value = decoder.decode(read.bytes());
    if (field === 1) header.key = value;
    else if (field === 2) header.value = value;
  }
  return header;
}

/** Reads the fields this fake needs; throws on bytes that are not a frame. */
export function decodeFrame(bytes: Uint8Array): LarkFrame {
  const read = reader(bytes);
  const frame: LarkFrame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  while (read.more()) {
    const key = read.varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === 0) {
      const value = read.varint();
      if (field === 1) frame.SeqID = value;
      else if (field === 2) frame.LogID = value;
      else if (field === 3) frame.service = value;
      else if (field === 4) frame.method = value;
    } else if (wireType === 2) {
      const value = read.bytes();
      if (field === 5) frame.headers.push(decodeHeader(value));
      else if (field === 8) frame.payload = value;
    } else {
      throw new Error(`unexpected wire type ${wireType}`);
    }
  }
  return frame;
}

export const headerOf = (frame: LarkFrame, key: string): string | undefined =>
  frame.headers.find((header) => header.key === key)?.value;
