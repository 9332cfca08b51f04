/** The labels `docker stack` reads, so that `docker stack ls/ps/services/rm` see Berth's stacks. */
export const SwarmStackLabels = {
  namespace: "com.docker.stack.namespace",
  image: "com.docker.stack.image",
} as const;

/** Engine-side name of a stack object: `docker stack deploy` scopes every name as `<stack>_<name>`. */
export function scoped(stack: string, name: string): string {
  return `${stack}_${name}`;
}

export function withNamespace(stack: string, labels?: Record<string, string>): Record<string, string> {
  return { ...labels, [SwarmStackLabels.namespace]: stack };
}

export function namespaceFilter(stack: string): { label: string[] } {
  return { label: [`${SwarmStackLabels.namespace}=${stack}`] };
}
