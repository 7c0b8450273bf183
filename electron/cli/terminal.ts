// What the CLI writes to a terminal. Text that came from input (a CSV, a prompt) or from the service is
// cleaned first: an ANSI escape in a prompt or an error message must not move the cursor, recolour or retitle
// the user's terminal, or fake a line of output.

/** Where the CLI writes: process.stdout/stderr, or a test's collector. */
export interface Output {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

// CSI (ESC [ … final byte, or its one-byte form), OSC (ESC ] … BEL or ESC \\), other two-byte escapes; then any
// remaining C0/C1 control character.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CSI = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const OSC = /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const TWO_BYTE = /\u001b[@-Z\\-_]/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/** One line of foreign text, safe to print: escapes and control characters removed, line breaks made spaces. */
export function clean(text: string): string {
  return text
    .replace(CSI, '')
    .replace(OSC, '')
    .replace(TWO_BYTE, '')
    .replace(/[\t\n]/g, ' ')
    .replace(CONTROLS, '')
}
