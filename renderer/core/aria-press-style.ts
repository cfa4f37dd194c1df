/** The id of the <style> React Aria adds to the page for its pressable elements. */
const REACT_ARIA_STYLE_ID = 'react-aria-pressable-style';

/**
 * React Aria adds an inline <style> (touch-action on pressable elements), which the desk's
 * Content-Security-Policy rightly refuses: the same rule is in styles.css, and an empty marker
 * under the id React Aria checks tells it the style is already there.
 */
export function markPressableStyle(doc: Document): void {
  if (doc.getElementById(REACT_ARIA_STYLE_ID)) return;
  const marker = doc.createElement('template');
  marker.id = REACT_ARIA_STYLE_ID;
  doc.head.append(marker);
}
