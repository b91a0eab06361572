/**
 * The longest lifetime of an ephemeral stage: a year. Its own module so the
 * manifest schema (the light `./manifest` entry) can share it without
 * loading the stage rules' dependencies.
 */
export const MAX_TTL_HOURS = 8760;
