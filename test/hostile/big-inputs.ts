/**
 * Inputs too big to commit: written to a temporary folder by the test. Each is invalid in one place
 * (`line` is where, when the loader can point at it), so that the whole file must be read to find it.
 */
export interface BigInput {
  id: string;
  content: string;
  /** Text the error message must contain. */
  includes: string;
}

const MB = 1024 * 1024;
const IMAGE = "berth-examples/busybox";

export function bigInputs(): BigInput[] {
  const labelLines: string[] = [];
  for (let i = 0; labelLines.length * 60 < 10 * MB; i++)
    labelLines.push(`      label.${i}: "${"x".repeat(40)}"`);
  return [
    {
      id: "huge-10mb-labels",
      content: `services:\n  app:\n    image: ${IMAGE}\n    labels:\n${labelLines.join("\n")}\n    cpus: [1]\n`,
      includes: "services.app.cpus",
    },
    {
      id: "huge-10mb-one-line",
      content: `services:\n  app:\n    image: ${IMAGE}\n    command: ${JSON.stringify("y".repeat(10 * MB))}\n    tty: maybe\n`,
      includes: "services.app.tty",
    },
    {
      id: "huge-20000-services",
      content: `services:\n${Array.from({ length: 20_000 }, (_, i) => `  s${i}:\n    image: ${IMAGE}\n`).join("")}  bad:\n    image: [x]\n`,
      includes: "services.bad.image",
    },
    {
      id: "deep-10000-flow-sequences",
      content: `services:\n  app:\n    image: ${IMAGE}\n    command: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`,
      includes: "services.app.command",
    },
    {
      id: "deep-10000-flow-mappings",
      content: `services:\n  app:\n    image: ${IMAGE}\n    labels: ${"{a: ".repeat(10_000)}1${"}".repeat(10_000)}\n`,
      includes: "services.app.labels",
    },
    {
      id: "deep-10000-block-sequences",
      content: `services:\n  app:\n    image: ${IMAGE}\n    command:\n      ${"- ".repeat(10_000)}x\n`,
      includes: "services.app.command",
    },
    {
      id: "deep-10000-in-extension",
      content: `x-deep: ${"[".repeat(10_000)}${"]".repeat(10_000)}\nservices:\n  app:\n    image: ${IMAGE}\n    tty: maybe\n`,
      includes: "services.app.tty",
    },
  ];
}
