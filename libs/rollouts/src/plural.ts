/** `1 node`, `2 nodes`: every count a rollout reports reads as written English. */
export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;
