// Writes examples/half_plus_three: the bundled SavedModel the demo shows and checks, made with the
// project's own writer (y = 0.5·x + 3, a serving-ready TF1-style graph with two variables).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { linearModel, writeSavedModelDir } from '../server/src/core/savedmodel/modelBuilder';

const dir = path.resolve(__dirname, '..', 'examples', 'half_plus_three');
fs.rmSync(dir, { recursive: true, force: true });
writeSavedModelDir(dir, linearModel(0.5, 3));
console.log(`wrote ${dir}`);
