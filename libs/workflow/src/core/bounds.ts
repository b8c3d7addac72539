/**
 * The most items a multi-instance activity's inputCollection may hold: past it the element gets
 * an incident naming the bound instead of the instance's state growing with every item (a
 * 10⁶-item collection made each completion take ~1 s and the server's health check ~5 s).
 */
export const MAX_COLLECTION_ITEMS = 10_000;

/**
 * The most elements one command may activate before every token waits: past it the instance gets
 * an incident naming the bound and the command stops (a gateway looping to itself otherwise runs
 * until the step fails, leaving an empty instance behind).
 */
export const MAX_ELEMENTS_PER_COMMAND = 10_000;
