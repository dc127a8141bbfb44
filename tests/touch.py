"""Touch targets of at least 44 × 44 CSS px on a phone (GB/T 37668, the 适老化 guidance;
WCAG 2.2 2.5.5 / 2.5.8), measured in real Chromium on the laid-out page.

A target is anything a finger taps: links, buttons, form controls, ``summary``, and elements
with ``role="button"`` or ``tabindex``. Its size is its border box; a checkbox's or radio's
is the union of the box and its ``<label>`` (tapping the label ticks the box).

Exempt, as WCAG 2.5.8 exempts them ("inline: the target is in a sentence or its size is
otherwise constrained by the line-height of non-target text"): a link laid out inline in a
paragraph, list item or cell whose text has words outside the link, so that padding it would
tear up the line. A standalone link (alone in its block, in a list of links, in a table
cell by itself) is not exempt. Hidden elements (no box, or a 1-px visually-hidden one) and
elements scrolled off-screen to the left (the skip link until it has focus) are not targets.
"""

from __future__ import annotations

MINIMUM = 44

_TARGETS_JS = """(minimum) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [role=button], [tabindex]:not([tabindex="-1"])';
  const small = [];
  const seen = new Set();
  const inSentence = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    if (!block) return false;
    const own = (el.textContent || '').replace(/\\s+/g, '');
    const all = (block.textContent || '').replace(/\\s+/g, '');
    // Words outside the link, besides punctuation and separators.
    const rest = all.replace(own, '').replace(/[\\s,，.。;；:：、·|/()（）\\[\\]【】\\-–—›»]/g, '');
    return rest.length > 0;
  };
  for (const el of document.querySelectorAll(selector)) {
    if (seen.has(el)) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    let rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1 || rect.right <= 0) continue;
    if (el.closest('[hidden], [aria-hidden="true"]')) continue;
    if (el.type === 'checkbox' || el.type === 'radio') {
      let [left, top, right, bottom] = [rect.left, rect.top, rect.right, rect.bottom];
      for (const label of el.labels || []) {
        const r = label.getBoundingClientRect();
        left = Math.min(left, r.left); top = Math.min(top, r.top);
        right = Math.max(right, r.right); bottom = Math.max(bottom, r.bottom);
      }
      rect = {width: right - left, height: bottom - top};
    }
    // Rounding: a 43.99-px box from fractional line heights is 44 px on the screen.
    if (Math.round(rect.width) >= minimum && Math.round(rect.height) >= minimum) continue;
    if (inSentence(el)) continue;
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 30);
    const id = el.id ? '#' + el.id : '';
    const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
    small.push(`${el.tagName.toLowerCase()}${id}${cls} "${text}"`
      + ` ${Math.round(rect.width)}×${Math.round(rect.height)}`);
  }
  return small;
}"""


def small_targets(page, minimum: int = MINIMUM) -> list[str]:
    """The page's non-exempt targets smaller than ``minimum`` px, as ``tag.class "text" w×h``."""
    return page.evaluate(_TARGETS_JS, minimum)
