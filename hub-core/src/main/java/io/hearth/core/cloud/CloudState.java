package io.hearth.core.cloud;

/** Where the outbound cloud link stands; implemented by the cloud link, shown by the web API. */
public interface CloudState {

    CloudStatus status();
}
