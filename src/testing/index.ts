export { TracedScriptedModel } from './traced-scripted-model.js';
export type { TracedScriptedModelOptions } from './traced-scripted-model.js';
