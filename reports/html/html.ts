/**
 * Tiny helpers for building HTML as strings: escaping, table cells, and embedding JSON
 * or script text safely inside `<script>` elements.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in HTML content or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** JSON text that is safe inside `<script type="application/json">` (no `</script>`, no `<!--`). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Script source that is safe to inline: any `</script` inside it is broken up. */
export function scriptForInline(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

/** A stylesheet that is safe to inline in a `<style>` element. */
export function styleForInline(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

/**
 * A table: `head` cells and `rows` of cells, each already HTML (escape text with
 * {@link escapeHtml}); columns whose index is in `rightAligned` are aligned right.
 */
export function htmlTable(head: readonly string[], rows: readonly (readonly string[])[], className = '', rightAligned: ReadonlySet<number> = new Set()): string {
  const cls = className ? ` class="${className}"` : '';
  const cell = (tag: string, c: string, i: number): string => `<${tag}${rightAligned.has(i) ? ' class="r"' : ''}>${c}</${tag}>`;
  const thead = `<thead><tr>${head.map((h, i) => cell('th', h, i)).join('')}</tr></thead>`;
  const tbody = `<tbody>${rows.map((cells) => `<tr>${cells.map((c, i) => cell('td', c, i)).join('')}</tr>`).join('\n')}</tbody>`;
  return `<div class="table-wrap"><table${cls}>${thead}\n${tbody}</table></div>`;
}
