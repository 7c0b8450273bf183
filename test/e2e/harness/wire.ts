// JSON for the preview's HTTP bridge, keeping the bytes the contract carries (Uint8Array: an image in
// jobs:submit, library:source-image's answer) as base64. Runs in Node and in any browser (btoa/atob).
const BYTES = '$bytes'

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { [BYTES]: toBase64(v) } : v))
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) =>
    v &&
    typeof v === 'object' &&
    typeof (v as Record<string, unknown>)[BYTES] === 'string' &&
    Object.keys(v).length === 1
      ? fromBase64((v as Record<string, string>)[BYTES] as string)
      : v,
  )
}
