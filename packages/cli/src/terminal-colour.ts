/** Colour on a terminal: 24-bit colour escapes, on unless NO_COLOR is set or the output is not a terminal. */
/** Text in a 24-bit colour when colours are on. */
export function paint(text: string, hex: string, on: boolean): string {
  if (!on) return text;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `\x1b[38;2;${r};${g};${b}m${text}\x1b[39m`;
}

/** Colours on a terminal unless NO_COLOR is set. */
export function coloursOn(stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true && (process.env.NO_COLOR ?? "") === "";
}
