/**
 * Text that people typed (a supporter's name in a newsletter subject, an organizer's event
 * title, a list name), made safe for an email header so that every client shows it as typed.
 *
 * nodemailer encodes text beyond ASCII, but passes a valid RFC 2047 encoded-word through
 * untouched, as already encoded by the caller. A name typed as `=?UTF-8?B?VVJHRU5U...?=`
 * would reach the header as it is, and the reader's client would decode it into whatever
 * its author encoded ("URGENT: your account is suspended"). Text holding `=?` (how every
 * encoded-word begins) is therefore encoded here, whole: the client decodes it back to the
 * characters that were typed, `=?` included.
 */
export function headerText(text: string): string {
  return text.includes('=?') ? encodedWords(text) : text;
}

/**
 * `text` as RFC 2047 encoded-words (UTF-8, base64), separated by spaces, which decoders drop
 * between encoded-words. Ten code points (at most 40 bytes) per word keeps each within the
 * 75 characters RFC 2047 allows, and no character is split across two words.
 */
export function encodedWords(text: string): string {
  const chars = [...text];
  const words: string[] = [];
  for (let i = 0; i < chars.length; i += 10)
    words.push(`=?UTF-8?B?${Buffer.from(chars.slice(i, i + 10).join(''), 'utf8').toString('base64')}?=`);
  return words.join(' ');
}
