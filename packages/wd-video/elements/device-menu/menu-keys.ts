// Where focus goes in a menu on a key press (WAI-ARIA menu pattern): arrows
// move and wrap, Home/End jump; anything else is not a move.

/** The index to focus after `key`, from `current` among `count` items; undefined = not a moving key. */
export function nextIndex(key: string, current: number, count: number): number | undefined {
  if (count === 0) return undefined;
  switch (key) {
    case 'ArrowDown':
      return current < 0 ? 0 : (current + 1) % count;
    case 'ArrowUp':
      return current < 0 ? count - 1 : (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
