import type { ProcessorSpec, TopicSpec, TopologySpec } from '../topology/topologySpec.js';

/**
 * A generation of a view: the view's processors, stores and internal topics under names of
 * their own, so that a rebuild runs beside the serving generation (blue/green). Generation 1
 * has the names of the topology; generation n > 1 inserts `.g<n>` after the processor's name:
 * processor and store `products-view.g2`, changelog `products-view.g2.changelog`, consumer group
 * `kes-products-view.g2`. Topics the view reads from outside (the events topics, a shared
 * repartition topic) keep their names.
 */
export function generationName(name: string, generation: number): string {
  return generation === 1 ? name : `${name}.g${generation}`;
}

/** The name of generation 1 (as in the topology) of a generation's processor or store. */
export function baseName(name: string): string {
  return name.replace(/\.g\d+$/, '');
}

/** A topic of generation n: renamed if it belongs to one of the view's processors. */
export function generationTopic(topic: string, processors: readonly string[], generation: number): string {
  if (generation === 1) return topic;
  const owner = processors.filter((p) => topic.startsWith(`${p}.`)).sort((a, b) => b.length - a.length)[0];
  return owner === undefined ? topic : `${generationName(owner, generation)}${topic.slice(owner.length)}`;
}

/**
 * The topology of one generation of a view: its processors renamed, the topics they write and
 * their changelogs renamed (with the configs of the originals), and the outside topics they read
 * as they are — enough for applyTopology to create what is missing and for startStreams to run it.
 */
export function generationTopology(
  topology: TopologySpec,
  processors: readonly string[],
  generation: number,
): TopologySpec {
  const topic = (name: string) => generationTopic(name, processors, generation);
  const specs: ProcessorSpec[] = processors.map((name) => {
    const spec = topology.processors.find((p) => p.name === name);
    if (!spec) throw new Error(`the topology has no processor ${name}`);
    return {
      ...spec,
      name: generationName(spec.name, generation),
      inputs: spec.inputs.map(topic),
      outputs: spec.outputs.map(topic),
      stores: spec.stores.map((s) => ({
        ...s,
        name: generationName(s.name, generation),
        changelog: topic(s.changelog),
      })),
    };
  });
  const used = new Set(
    specs.flatMap((p) => [...p.inputs, ...p.outputs, ...p.stores.map((s) => s.changelog)]),
  );
  const topics: TopicSpec[] = [];
  for (const original of topology.topics) {
    const renamed = topic(original.name);
    if (used.has(renamed)) topics.push({ ...original, name: renamed });
  }
  return { applicationId: topology.applicationId, topics, processors: specs };
}
