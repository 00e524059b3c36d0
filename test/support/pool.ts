/** Runs `run` over the items, `workers` at a time. */
export async function pool<T>(
  items: readonly T[],
  workers: number,
  run: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await run(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
}
