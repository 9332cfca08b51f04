/**
 * What the parse tiers refuse, in one place. The exact parser (parse.ts) refuses a file past these limits
 * with a located error; the fast tiers (parse-lines.ts, parse-fast.ts) take only files within them and
 * leave every other to the exact parser, so that all tiers accept the same files with the same data.
 */

/**
 * Alias expansions allowed per anchor (weighted by nested aliases). High enough for real files that
 * reuse one anchor in hundreds of services, low enough that a "billion laughs" file fails in milliseconds.
 * parse-fast takes no alias to a node holding aliases (every weight is 1), so up to this many aliases in
 * all it accepts exactly the files the exact parser accepts.
 */
export const MAX_ALIAS_COUNT = 10_000;

/**
 * Nesting allowed (collections in collections). yaml composes nodes recursively and overflows the stack
 * at a few hundred levels; real compose files stay under twenty.
 */
export const MAX_DEPTH = 200;

/** Nesting parse-fast takes on; deeper files go to the exact parser, which refuses past MAX_DEPTH. */
export const MAX_FAST_DEPTH = 150;

/**
 * A `%` directive line: `%YAML 1.1` changes how the exact parser types scalars and unknown directives are
 * errors, so the exact parser reads every file that has one.
 */
export const directiveLine = /^%/m;

/** Lines that mark a document's start or end: parse-lines reads one-document files only. */
export const documentMarkerLine = /^(?:---|\.\.\.)/m;
