// An ES module handler, as Lambda's Node.js runtime loads `.mjs` files.
export const handler = async event => ({ esm: typeof require === 'undefined', event });
