package org.openstack.jcinder.compute.virt;

import org.openstack.jcinder.shared.config.ConfigException;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.virt.libvirt.LibvirtDriver;
import org.openstack.jcinder.compute.virt.simulated.SimulatedHypervisor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Picks the hypervisor driver named by {@code [DEFAULT] compute_driver}. */
@Configuration(proxyBeanMethods = false)
public class HypervisorDrivers {

    @Bean(destroyMethod = "close")
    public HypervisorDriver hypervisorDriver(NovaConfig config) {
        HypervisorDriver driver;
        if (config.simulated()) {
            driver = new SimulatedHypervisor(config);
        } else if (config.computeDriver().equals("libvirt.LibvirtDriver") || config.computeDriver().equals("libvirt")) {
            driver = new LibvirtDriver(config);
        } else {
            throw new ConfigException(config.source() + ": [DEFAULT] compute_driver: " + config.computeDriver()
                    + " is not available in this build");
        }
        driver.setup();
        return driver;
    }
}
