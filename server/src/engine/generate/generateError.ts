// A network the generator cannot turn into a project as given (izer would stop with an exception there).
export class GenerateError extends Error {}
