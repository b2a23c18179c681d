/**
 * What a stack compiles to: the Engine API objects of one stack, and docker/cli's conventions for them (its
 * stack labels, image references as its API client writes them). The loader and the converter produce these;
 * the reconciler consumes them. Depends on nothing else of Stackwarden.
 */
package io.stackwarden.compose.engine;
