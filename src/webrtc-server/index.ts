export { createWebRTCReportHandler, handleWebRTCReport } from './handler.js';
export type { ReportBody, WebRTCReportResult } from './handler.js';
export type { WebRTCReportOptions } from './options.js';
export { webrtcReportExpress } from './express.js';
export { webrtcReportHono } from './hono.js';
export { WEBRTC_SPAN_NAME, WebRTCAttr, WebRTCEvent } from './attributes.js';
export { validateReport, MAX_REPORT_EVENTS } from './validate.js';
export type { WebRTCReport } from '../webrtc/report.js';
