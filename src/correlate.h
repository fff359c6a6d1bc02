/* correlate.h - symptoms to handshakes.  Ties each application symptom line
 * (from any input of the run) to the handshake that caused it: the same
 * thread when the log names one, else the nearest failed handshake in time
 * (within CORRELATE_WINDOW_MS) with the same host where the line shows
 * one.  Symptoms nothing explains become handshakes of their own with
 * chain not_captured, so that nothing is dropped.
 *
 * Ownership: works in place on the report. */
#ifndef SSLSIFT_CORRELATE_H
#define SSLSIFT_CORRELATE_H

#include "model.h"

#define CORRELATE_WINDOW_MS 5000
/* Symptoms of one unexplained failure arrive together: lines of the same
 * thread (or host) within this window are grouped into one handshake. */
#define CORRELATE_GROUP_MS 2000

void correlate_report(struct report *r);

#endif
