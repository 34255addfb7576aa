// ai8x/kernelMap and ai8x/dataMemoryMap: the models of the two map views, from the analysis of the current text.
import * as path from 'node:path';
import type { CheckResult } from '../../engine/check';
import { dataMemoryModel } from '../../engine/services/dataMemoryView';
import { kernelMapModel } from '../../engine/services/kernelMapView';
import type { DataMemoryModel, KernelMapModel, MapViewParams, MapViewResult } from '../../protocol';
import { URI } from '../uri';
import type { ServerContext } from './context';

async function mapView<M>(p: MapViewParams, ctx: ServerContext, build: (r: CheckResult) => { model: M } | { unavailable: string }): Promise<MapViewResult<M>> {
  const fileName = path.basename(URI.toPath(p.uri));
  const o = await ctx.analyses.currentView(p.uri);
  if (!o) return { uri: p.uri, version: -1, fileName, model: null, unavailable: 'The file is not open.' };
  const { version } = o.analysis;
  const result = o.analysis.result;
  if (!result) return { uri: p.uri, version, fileName, model: null, unavailable: 'This file is not an ai8x network description.' };
  const answer = build(result);
  if ('model' in answer) return { uri: p.uri, version, fileName, model: answer.model, unavailable: null, action: null };
  return { uri: p.uri, version, fileName, model: null, unavailable: answer.unavailable, action: result.analysis?.checkpoint ? null : 'chooseCheckpoint' };
}

export const kernelMap = (p: MapViewParams, ctx: ServerContext): Promise<MapViewResult<KernelMapModel>> => mapView(p, ctx, kernelMapModel);
export const dataMemoryMap = (p: MapViewParams, ctx: ServerContext): Promise<MapViewResult<DataMemoryModel>> => mapView(p, ctx, dataMemoryModel);
