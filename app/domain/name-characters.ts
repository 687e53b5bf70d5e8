/**
 * Characters a user-chosen name (project, label) may not contain because they change how the name LOOKS without
 * being seen: bidirectional overrides and isolates (a name can show "gpj.exe" as "exe.jpg"), zero-width and
 * invisible characters (two names that look identical), and control characters. Pure: shared by main and the page.
 *
 * U+202A–U+202E bidi embeddings/overrides, U+2066–U+2069 bidi isolates, U+200B–U+200F zero-width space,
 * non-joiner, joiner, and the LRM/RLM marks, U+2060–U+2064 word joiner and invisible operators, U+FEFF
 * zero-width no-break space (BOM), U+061C Arabic letter mark, U+180E Mongolian vowel separator, and the C0/C1
 * control characters (U+0000–U+001F, U+007F–U+009F).
 *
 * The zero-width non-joiner and joiner (U+200C, U+200D) are the exception where they are visible: between two
 * letters of a script whose shaping they change (Persian writes "می‌خواهم" with a non-joiner; Indic conjuncts use
 * both), and the joiner inside an emoji sequence (👩‍💻). Elsewhere, e.g. inside a Latin word, they only make two
 * names that look identical, and are refused. (The same idea as IDNA's CONTEXTJ rule, RFC 5892.)
 */
const HIDDEN_CHARACTER =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c\u180e]/;

const ZWNJ = '\u200c';
const ZWJ = '\u200d';
/** Scripts whose letters join or form conjuncts, so a (non-)joiner between two of them changes what is seen. */
const SHAPING_LETTER =
  /^[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mongolian}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}\p{Script=Myanmar}\p{Script=Khmer}]$/u;
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;
/** What may end an emoji before a joiner: the emoji, its presentation selector, a skin tone. */
const EMOJI_END = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f]$/u;

/** True when the (non-)joiner at code point `i` of `chars` sits where it changes what is seen. */
function visibleJoiner(chars: string[], i: number): boolean {
  const before = chars[i - 1] ?? '';
  const after = chars[i + 1] ?? '';
  if (SHAPING_LETTER.test(before) && SHAPING_LETTER.test(after)) return true;
  return chars[i] === ZWJ && EMOJI_END.test(before) && PICTOGRAPH.test(after);
}

/** The code point indexes of a name's hidden characters. */
function hiddenAt(chars: string[]): number[] {
  return chars.flatMap((c, i) =>
    HIDDEN_CHARACTER.test(c) && !((c === ZWNJ || c === ZWJ) && visibleJoiner(chars, i)) ? [i] : [],
  );
}

/** The first hidden character of a name as `U+XXXX` (for the error's params), or null when it has none. */
export function hiddenCharacter(name: string): string | null {
  const chars = Array.from(name);
  const [first] = hiddenAt(chars);
  return first === undefined ? null : codePoint(chars[first]);
}

/**
 * The name with each hidden character written out as `<U+XXXX>`, for messages: quoting a refused name as it is
 * would let its override reorder the message itself (in a terminal, a log).
 */
export function revealHiddenCharacters(name: string): string {
  const chars = Array.from(name);
  for (const i of hiddenAt(chars)) chars[i] = `<${codePoint(chars[i])}>`;
  return chars.join('');
}

function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
