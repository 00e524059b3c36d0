import { useEffect, useState } from 'preact/hooks';

/** The console's routes are in the URL's fragment (`#/aggregates/orders/o-1`): no server routing. */
export function useRoute(): string[] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((part) => part !== '')
    .map((part) => decodeURIComponent(part));
}

/** The fragment of a route: its parts, each encoded. */
export function href(...parts: (string | number)[]): string {
  return `#/${parts.map((part) => encodeURIComponent(String(part))).join('/')}`;
}

export function go(...parts: (string | number)[]): void {
  location.hash = href(...parts);
}
