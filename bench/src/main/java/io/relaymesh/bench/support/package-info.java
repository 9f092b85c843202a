/** What every benchmark shares: arguments, deadlines, percentiles, progress lines and the result files. */
package io.relaymesh.bench.support;
