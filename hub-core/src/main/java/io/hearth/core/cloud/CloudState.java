package io.hearth.core.cloud;

/** Where the outbound cloud link stands; implemented by the cloud link, shown by the web API. */
public interface CloudState {

    CloudStatus status();

    /** What the cloud may see and change; usable while the link is off. */
    RemoteAccess remoteAccess();
}
