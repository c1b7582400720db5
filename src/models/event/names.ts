/** The event classifiers' names, without loading their code (the CLI reads them before the catalog). */
export const EVENT_MODEL_NAMES = ['eventclim', 'xgbevent'] as const;
