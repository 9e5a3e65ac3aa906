/**
 * A list whose items are kept by key across snapshots. Snapshots arrive several times a
 * second while people answer; rebuilding the list each time would drop keyboard focus and
 * make buttons jump under the pointer. Only items that arrive or leave are touched.
 *
 *   const sync = keyedList(ul, { key, create, update });
 *   sync(entries);
 */
export function keyedList(list, { key, create, update = () => {} }) {
  const items = new Map();

  return function sync(entries) {
    const wanted = new Set(entries.map(key));
    let focusedPosition = null;
    for (const [id, element] of items) {
      if (wanted.has(id)) continue;
      if (element.contains(document.activeElement)) focusedPosition = [...list.children].indexOf(element);
      element.remove();
      items.delete(id);
    }
    entries.forEach((entry, position) => {
      const id = key(entry);
      if (!items.has(id)) items.set(id, create(entry));
      const element = items.get(id);
      update(element, entry);
      if (list.children[position] !== element) list.insertBefore(element, list.children[position] ?? null);
    });
    // When the focused item left (approved, rejected), keep the keyboard in the list.
    if (focusedPosition !== null) {
      list.children[Math.min(focusedPosition, list.children.length - 1)]?.querySelector("button")?.focus();
    }
  };
}
