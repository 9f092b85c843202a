/** Hand-written fakes and fixtures for the application's unit tests: no mocking library, no network. */
package io.relaymesh.application.fakes;
