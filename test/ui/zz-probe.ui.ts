import { after, before, test } from 'node:test';
import { Workbench, openWorkbench } from '../harness/workbench';
let wb: Workbench;
before(async () => { wb = await openWorkbench({ name: 'probe', extraExtensions: ['/tmp/sml-icon-probe'] }); });
after(async () => { await wb?.close(); });
test('probe', async () => {
  await wb.openFolder();
  await wb.openViewContainer('SavedModel');
  await wb.screenshot('probe-icon');
});
