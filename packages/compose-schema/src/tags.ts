/**
 * The Compose Specification's merge tags, kept in the parsed data until files are merged.
 * `!reset` removes the value inherited from earlier files; `!override X` replaces it with X
 * instead of merging. After merging, no instance of these classes remains in the data.
 */
export class ResetTag {
  readonly tag = "!reset";
}

export class OverrideTag {
  readonly tag = "!override";
  constructor(readonly value: unknown) {}
}
