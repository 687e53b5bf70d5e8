/**
 * Characters a user-chosen name (project, label) may not contain because they change how the name LOOKS without
 * being seen: bidirectional overrides and isolates (a name can show "gpj.exe" as "exe.jpg"), zero-width and
 * invisible characters (two names that look identical), and control characters. Pure: shared by main and the page.
 *
 * U+202A–U+202E bidi embeddings/overrides, U+2066–U+2069 bidi isolates, U+200B–U+200F zero-width space,
 * non-joiner, joiner, and the LRM/RLM marks, U+2060–U+2064 word joiner and invisible operators, U+FEFF
 * zero-width no-break space (BOM), U+061C Arabic letter mark, U+180E Mongolian vowel separator, and the C0/C1
 * control characters (U+0000–U+001F, U+007F–U+009F).
 */
const HIDDEN_CHARACTER =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c\u180e]/;

/** The first hidden character of a name as `U+XXXX` (for the error's params), or null when it has none. */
export function hiddenCharacter(name: string): string | null {
  const found = HIDDEN_CHARACTER.exec(name);
  return found ? codePoint(found[0]) : null;
}

/**
 * The name with each hidden character written out as `<U+XXXX>`, for messages: quoting a refused name as it is
 * would let its override reorder the message itself (in a terminal, a log).
 */
export function revealHiddenCharacters(name: string): string {
  return name.replace(new RegExp(HIDDEN_CHARACTER.source, 'g'), (c) => `<${codePoint(c)}>`);
}

function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
