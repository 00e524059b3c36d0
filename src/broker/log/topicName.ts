/**
 * Kafka's topic name rules (Topic.java): 1-249 characters of [a-zA-Z0-9._-], not "." or "..".
 * Names that differ only by "." versus "_" collide, because metric names cannot tell them apart.
 */
export const MAX_TOPIC_NAME_LENGTH = 249;

export function topicNameError(name: string): string | undefined {
  if (name.length === 0) return "Topic name is illegal, it can't be empty";
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters, topic name: ${name}`;
  }
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
  }
  return undefined;
}

export const collisionKey = (name: string) => name.replace(/\./g, '_');
